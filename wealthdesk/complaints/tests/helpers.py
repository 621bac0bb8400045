"""Shared test helpers: a complaint about ``cust_a`` recorded by ``lobby_c1`` in center C1."""
from wealthdesk.complaints import services
from wealthdesk.complaints.choices import Category, Channel


def record(world, actor="lobby_c1", center=None, **kw):
    args = {"actor": world.users[actor], "center": center or world.users[actor].unit, "channel": Channel.COUNTER,
            "category": Category.WAITING, "content": "排队等候超过一小时", "customer": None}
    args.update(kw)
    return services.complaint_create(**args)


def c1_complaint(world):
    """One complaint per world, created on first use (the access matrices call ``url`` once per persona)."""
    if "_complaint" not in world.__dict__:
        world.__dict__["_complaint"] = record(world, customer=world.cust_a, complainant_contact="13812341234")
    return world.__dict__["_complaint"]
