from django import forms

from ravabet.lib.forms import PersianCharField, PersianFormMixin


class TokenForm(PersianFormMixin, forms.Form):
    name = PersianCharField(label="نام کلید", max_length=100,
                            help_text="برای چه برنامه‌ای؟ مثلاً «وبگاه اداره کل» یا «برنامه همراه».")
