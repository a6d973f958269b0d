"""Custom agents from Python: a callable decides what a `custom` population sends."""

import pytest

import atelier_sim
from atelier_sim import msgs


def with_sellers(scenario, count=5):
    scenario["agents"].append({"kind": "custom", "count": count, "policy": "seller"})
    return scenario


def test_a_python_policy_that_sells_every_block_lowers_the_price_it_sees(parity):
    seen = []

    def seller(view):
        seen.append(view)
        return [(agent["rank"], msgs.swap("sell_gdc", 10_000_000_000)) for agent in view["agents"]]

    idle = atelier_sim.run(with_sellers(parity(60)), runs=1, progress=False, agents={"seller": lambda view: []})
    selling = atelier_sim.run(with_sellers(parity(60)), runs=1, progress=False, agents={"seller": seller})
    last = lambda results: results.frame.iloc[-1]  # noqa: E731
    assert last(selling)["price"] < last(idle)["price"], "selling moved the pool's price down"
    assert len(seen) == 60 - 3, "asked every block after setup"
    assert [v["metrics"]["block"] for v in seen[:2]] == [3, 4], "each view holds the last block's metrics"
    assert seen[-1]["metrics"]["price"] == selling.frame.iloc[-2]["price"]
    first, final = seen[0]["agents"], seen[-1]["agents"]
    assert [a["rank"] for a in first] == [0, 1, 2, 3, 4]
    assert all(a["address"].startswith("atelier1") for a in first)
    assert all(f["ugdc"] < a["ugdc"] and f["uusd"] > a["uusd"] for a, f in zip(first, final)), "sold GDC for uusd"


def test_a_policy_s_exception_stops_the_batch_and_is_raised_as_itself(parity):
    def broken(view):
        if view["block"] == 10:
            raise ZeroDivisionError("the policy's own bug")
        return []

    with pytest.raises(ZeroDivisionError, match="the policy's own bug"):
        atelier_sim.run(with_sellers(parity(200)), runs=2, progress=False, agents={"seller": broken})


def test_a_message_the_chain_cannot_read_is_refused_with_the_agent_and_the_reason(parity):
    def sloppy(view):
        return [(0, {"amm": {"type": "swap", "side": "sell_gdc", "amount_in": 5}})]

    with pytest.raises(ValueError, match="agent 0's message .*amount_in"):
        atelier_sim.run(with_sellers(parity(20)), runs=1, progress=False, agents={"seller": sloppy})
    with pytest.raises(ValueError, match="side is sell_gdc or sell_usd"):
        msgs.swap("buy", 1)


def test_a_custom_population_without_its_policy_is_refused_before_anything_runs(parity):
    with pytest.raises(atelier_sim.ScenarioError, match='names the policy "seller", which was not given'):
        atelier_sim.run(with_sellers(parity(20)), progress=False)
