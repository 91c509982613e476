"""HQ's forms for the evaluation (issue 10): weights and targets, quality marks."""

from decimal import Decimal

from django import forms

from ravabet.lib.digits import to_persian_digits
from ravabet.lib.forms import JalaliDateField, PersianFormMixin
from ravabet.lib.instruction import item_short

from .catalog import items
from .models import QualityMark


class _WeightSetBase(PersianFormMixin, forms.Form):
    """A new version of the weights: from a Jalali date, with a weight and a monthly target per item
    (fields w_<code>, t_<code>) and grade bands. The weights must sum to 100; nothing negative."""

    valid_from = JalaliDateField(label="معتبر از تاریخ")
    note = forms.CharField(label="توضیح", max_length=200, required=False)
    excellent_from = forms.IntegerField(label="سرآمد از امتیاز", min_value=0, max_value=100)
    active_from = forms.IntegerField(label="فعال از امتیاز", min_value=0, max_value=100)
    partial_from = forms.IntegerField(label="نیمه‌فعال از امتیاز", min_value=0, max_value=100)

    def rows(self):
        return [(code, item, self[f"w_{code}"], self[f"t_{code}"]) for code, item in items().items()]

    def clean(self):
        data = super().clean()
        weights = [data.get(f"w_{code}") for code in items()]
        if all(w is not None for w in weights) and sum(weights) != 100:
            total = format(sum(weights).normalize(), "f")
            self.add_error(None, to_persian_digits(f"جمع وزن‌ها باید ۱۰۰ باشد؛ اکنون {total} است."))
        bands = [data.get("excellent_from"), data.get("active_from"), data.get("partial_from")]
        if all(b is not None for b in bands) and not bands[0] > bands[1] > bands[2]:
            self.add_error("active_from", "مرزهای رده باید از سرآمد به فعال و نیمه‌فعال کاهش یابند.")
        return data


def _item_fields() -> dict:
    fields = {}
    for code in items():
        fields[f"w_{code}"] = forms.DecimalField(
            label=f"وزن {item_short(code)}", min_value=Decimal(0), max_value=Decimal(100), max_digits=5, decimal_places=2,
            error_messages={"min_value": "وزن منفی پذیرفته نیست.", "max_value": "وزن حداکثر ۱۰۰ است."})
        fields[f"t_{code}"] = forms.DecimalField(
            label=f"هدف ماهانه {item_short(code)}", min_value=Decimal(0), max_digits=7, decimal_places=2,
            error_messages={"min_value": "هدف منفی پذیرفته نیست."})
    return fields


WeightSetForm = type("WeightSetForm", (_WeightSetBase,), _item_fields())


class MarkForm(PersianFormMixin, forms.ModelForm):
    class Meta:
        model = QualityMark
        fields = ["mark", "comment"]
        error_messages = {"mark": {"min_value": "نمره کیفیت باید از ۱ تا ۵ باشد.",
                                   "max_value": "نمره کیفیت باید از ۱ تا ۵ باشد."}}
