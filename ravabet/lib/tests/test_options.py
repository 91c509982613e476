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


def test_widgets_are_drawn_byte_for_byte_as_djangos_own_templates_draw_them():
    """ravabet/templates/django/forms/widgets/select.html and attrs.html build options and attributes in
    Python; a select with groups and a chosen value, a multiple select, and inputs with true, false and
    quoted attributes come out exactly as Django's templates write them."""
    from django import forms
    from django.forms.renderers import DjangoTemplates, TemplatesSetting
    from django.utils.safestring import mark_safe

    class Sample(forms.Form):
        kind = forms.ChoiceField(choices=[("", "—"), ("گروه <۱>", [("a", "الف & ب"), ("b", mark_safe("<b>ب</b>"))]),
                                          ("c", "ج")], initial="b")
        tags = forms.MultipleChoiceField(choices=[("1", "یک"), ("2", 'دو "۲"')], initial=["1", "2"])
        title = forms.CharField(widget=forms.TextInput(attrs={"placeholder": 'عنوان "کوتاه"', "data-x": True,
                                                              "data-off": False, "maxlength": 40}))

    for name in ("kind", "tags", "title"):
        django_own = Sample(renderer=DjangoTemplates())[name].as_widget()
        ours = Sample(renderer=TemplatesSetting())[name].as_widget()
        assert ours == django_own, name
    assert ' selected' in Sample(renderer=TemplatesSetting())["kind"].as_widget()
