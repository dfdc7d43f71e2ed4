from django import forms

from silvershield.campaigns.models import Campaign


class CampaignPolicyForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Campaign
        fields = [
            "name",
            "starts_on",
            "ends_on",
            "is_active",
            "transfer_working_days",
            "warning_ratio",
            "reminder_interval_days",
            "reminders_before_supervision",
            "serious_overdue_days",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不能早于开始日期")
        return data
