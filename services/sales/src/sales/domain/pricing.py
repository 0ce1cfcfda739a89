"""Line items and totals for quotes and orders, in exact decimal arithmetic.

Each line is ``quantity x unit price``, less its discount, rounded to cents; the
document discount applies to the sum of the lines; tax applies to what remains.
Rounding happens per line and per total, half-up, so the printed lines add up to
the printed subtotal.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from sales.domain.money import HUNDRED, ZERO, Money, Percent, cents, percent_of

Quantity = Decimal


class LineItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product: str = Field(min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=500)
    quantity: Decimal = Field(gt=0, max_digits=12, decimal_places=3)
    unit_price: Money
    discount_percent: Percent = Decimal("0")

    @property
    def gross(self) -> Decimal:
        return cents(self.quantity * self.unit_price)

    @property
    def net(self) -> Decimal:
        return cents(self.quantity * self.unit_price * (HUNDRED - self.discount_percent) / HUNDRED)


class Totals(BaseModel):
    subtotal: Decimal
    discount: Decimal
    taxable: Decimal
    tax: Decimal
    total: Decimal


def price(lines: list[LineItem], discount_percent: Decimal, tax_rate_percent: Decimal) -> Totals:
    subtotal = sum((line.net for line in lines), ZERO)
    discount = percent_of(subtotal, discount_percent)
    taxable = subtotal - discount
    tax = percent_of(taxable, tax_rate_percent)
    return Totals(
        subtotal=subtotal, discount=discount, taxable=taxable, tax=tax, total=taxable + tax
    )
