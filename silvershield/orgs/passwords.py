"""Password rules with Chinese messages (Django's zh_Hans catalogue misses some)."""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator


class ChineseMinimumLengthValidator(MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短，至少需要{self.min_length}个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要{self.min_length}个字符。"
