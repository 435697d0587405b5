"""tripplan: plan, cost and compare regenerative-medicine treatment trips, offline."""

from tripplan.i18n import N_

__version__ = "0.1.0"

# said in the current language where it is shown: _(DISCLAIMER)
DISCLAIMER = N_(
    "tripplan plans trips; it gives no medical advice. Whether, where and how to be treated is for you "
    "and your doctors to decide."
)
