"""tripplan: plan, cost and compare regenerative-medicine treatment trips, offline."""

__version__ = "0.1.0"

DISCLAIMER = (
    "tripplan plans trips; it gives no medical advice. Whether, where and how to be treated is for you "
    "and your doctors to decide."
)
