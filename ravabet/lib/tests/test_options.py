"""lib/templatetags/options.py: a select's options built in Python, escaped, the chosen one marked."""

from django.template import Context, Template

from ravabet.lib.templatetags.options import select_options


def test_values_and_labels_are_escaped_and_only_the_chosen_value_is_selected():
    html = select_options([("a&b", "<تهران>"), ("7", "شیراز")], 7)
    assert html == ('<option value="a&amp;b">&lt;تهران&gt;</option>'
                    '<option value="7" selected>شیراز</option>')
    assert " selected" not in select_options([("", "همه"), ("x", "ایکس")], None)


def test_the_tags_give_what_the_template_loops_gave():
    class Unit:
        def __init__(self, pk, name):
            self.pk, self.name = pk, name

    template = Template("{% load options %}{% options states state %}|{% unit_options units unit %}")
    out = template.render(Context({"states": [("draft", "پیش‌نویس"), ("sent", "ارسال‌شده")], "state": "sent",
                                   "units": [Unit(3, "فسا"), Unit(12, "جهرم")], "unit": "12"}))
    assert out == ('<option value="draft">پیش‌نویس</option><option value="sent" selected>ارسال‌شده</option>|'
                   '<option value="3">فسا</option><option value="12" selected>جهرم</option>')
