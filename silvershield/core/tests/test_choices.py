from silvershield.core.choices import FraudType
from silvershield.screening import FRAUD_TYPES


def test_fraud_type_codes_are_the_screening_packages_codes_in_order() -> None:
    assert list(FraudType.values) == list(FRAUD_TYPES)
