"""Messages a custom policy returns, as the chain's JSON reads them (the shape `atelier tx batch`
takes: ``{module: {"type": kind, ...}}``, amounts as decimal strings of base units). These build
the common ones; any other message can be given as such a dict."""

from __future__ import annotations


def _amount(value: int) -> str:
    value = int(value)
    if value < 0:
        raise ValueError(f"an amount is not negative: {value}")
    return str(value)


def swap(side: str, amount_in: int, min_out: int = 0) -> dict:
    """A swap on the GDC/uusd pool: ``side`` is ``"sell_gdc"`` or ``"sell_usd"``."""
    if side not in ("sell_gdc", "sell_usd"):
        raise ValueError(f"side is sell_gdc or sell_usd, not {side!r}")
    return {"amm": {"type": "swap", "side": side, "amount_in": _amount(amount_in), "min_out": _amount(min_out)}}


def transfer(to: str, amount: int, denom: str = "ugdc") -> dict:
    """A transfer of ``amount`` base units of ``denom`` to the address ``to``."""
    return {"bank": {"type": "transfer", "to": to, "denom": denom, "amount": _amount(amount)}}


def stake(amount: int) -> dict:
    """Bonds ``amount`` ugdc."""
    return {"staking": {"type": "stake", "amount": _amount(amount)}}


def unstake(amount: int) -> dict:
    """Starts unbonding ``amount`` ugdc."""
    return {"staking": {"type": "unstake", "amount": _amount(amount)}}
