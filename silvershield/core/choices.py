"""Code lists shared across apps."""

from django.db import models


class FraudType(models.TextChoices):
    """The campaign's fraud forms (screening issue); equal to silvershield.screening.FRAUD_TYPES."""

    ELDER_SERVICE = "elder_service", "以提供“养老服务”为名"
    ELDER_PROJECT = "elder_project", "以投资“养老项目”为名"
    ELDER_PRODUCT = "elder_product", "以销售“养老产品”为名"
    HOUSE_PENSION = "house_pension", "以宣称“以房养老”为名"
    PENSION_INSURANCE = "pension_insurance", "以代办“养老保险”为名"
    ELDER_AID = "elder_aid", "以开展“养老帮扶”为名"
    OTHER_ELDER = "other_elder", "其他以老年人为对象的诈骗"
    NONE = "none", "非养老诈骗"
