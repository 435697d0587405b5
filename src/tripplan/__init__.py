"""tripplan: plan, cost and compare regenerative-medicine treatment trips, offline."""

__version__ = "0.1.0"
