// Citizens' pages: a new captcha picture without reloading (what was typed stays), and copying the tracking code.
(function () {
  "use strict";

  document.querySelectorAll(".captcha-refresh").forEach(function (button) {
    button.hidden = false; // only useful with JavaScript, so shown only then
    button.addEventListener("click", function () {
      var box = button.closest(".mb-3") || document;
      button.disabled = true;
      fetch(button.dataset.url, {headers: {"X-Requested-With": "XMLHttpRequest"}, credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          box.querySelector("img.captcha").src = data.image_url;
          box.querySelector("input[name$='captcha_0']").value = data.key;
          var answer = box.querySelector("input[name$='captcha_1']");
          answer.value = "";
          answer.focus();
        })
        .finally(function () { button.disabled = false; });
    });
  });

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () {
        button.textContent = button.dataset.copied;
        button.classList.replace("btn-outline-primary", "btn-success");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(button.dataset.copy).then(done);
      } else {
        // Plain http (an office intranet): select the code so the phone offers "copy".
        var range = document.createRange();
        range.selectNodeContents(document.getElementById(button.dataset.target));
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        if (document.execCommand && document.execCommand("copy")) { done(); }
      }
    });
  });
})();
