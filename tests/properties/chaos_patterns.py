"""The five reference patterns as the chaos soak drives them: build, commands, conservation.

Each pattern is provisioned through boto3 as its ``infrastructure.provision``
does on AWS, with its handlers wired on the fakes' virtual clock. A command
is what a producer sends (valid or not); ``send`` says whether it was
accepted; ``check`` lists what conservation forbids after the system idled:
an accepted command's effect missing or applied twice, an emitted event not
delivered to a subscriber, or an effect nobody asked for.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from typing import Any

from eventproof_fakes import FakeAWS
from reference_impl import async_controller, command_bus, command_dispatch, destinations
from reference_impl.async_controller import lambdas as async_controller_lambdas
from reference_impl.command_bus import lambdas as command_bus_lambdas
from reference_impl.command_bus.payments import InvalidProcessPayment, parse_process_payment
from reference_impl.destinations import lambdas as destinations_lambdas
from reference_impl.outbox import app as outbox_app
from reference_impl.outbox import infrastructure as outbox_infrastructure
from reference_impl.outbox import lambdas as outbox_lambdas

Command = dict[str, Any]


def _uuid(rng: random.Random) -> str:
    text = f"{rng.getrandbits(128):032x}"
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-a{text[17:20]}-{text[20:]}"


def _clock(aws: FakeAWS) -> Any:
    return lambda: aws.clock.now()  # read through aws: a restore replaces the clock


def _bodies(aws: FakeAWS, queue: str) -> list[Any]:
    return [json.loads(m.body) for m in aws.sqs.messages(queue) if not m.deleted]


def _sync(aws: FakeAWS, function: str, event: Any, attempts: int = 3) -> Any:
    """A client calling a function synchronously, retrying what failed (a crash, a throttle)."""
    payload: Any = None
    for _ in range(attempts):
        try:
            result = aws.lambda_.invoke_sync(function, event)
        except Exception:  # TooManyRequestsException: the client backs off and retries
            aws.clock.advance(1)
            continue
        payload = result.payload
        failed = result.error is not None or (
            isinstance(payload, dict) and payload.get("statusCode", 200) >= 500)
        if not failed:
            return payload
        aws.run_until_idle()
    return payload


class CommandBus:
    """ProcessPayment on SQS; one charge per payment, its outcome on EventBridge to every rule."""

    name = "command_bus"
    names = command_bus.Names()
    functions = (names.processor_function,)
    duplicate = (f"sqs:{names.command_queue}", "events:*")
    reorder = (f"sqs:{names.command_queue}",)
    delay = ()

    def build(self, aws: FakeAWS, session: Any) -> None:
        command_bus.provision(session)
        command_bus_lambdas.app.use(command_bus.wire(session, clock=_clock(aws)))
        self.queue_url = session.client("sqs").get_queue_url(QueueName=self.names.command_queue)["QueueUrl"]

    def command(self, rng: random.Random) -> Command:
        amount = rng.choice([25.5, 120, 0, -3, 20_000])  # zero and negative are rejected; 20k declined
        currency = rng.choice(["EUR", "EUR", "USD", "XXX"])
        return {"paymentId": _uuid(rng), "orderId": _uuid(rng), "customerId": _uuid(rng),
                "amount": {"amount": amount, "currency": currency}, "requestedAt": 0}

    def send(self, aws: FakeAWS, session: Any, command: Command) -> bool:
        session.client("sqs").send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(command))
        return True

    def check(self, aws: FakeAWS, accepted: list[Command], sent: list[Command]) -> list[str]:
        names, problems = self.names, []
        charges = {i["paymentId"]["S"]: i for i in aws.dynamodb.items(names.payments_table)}
        outcomes: dict[str, set[str]] = {}
        for event in aws.events.events(names.bus):
            outcomes.setdefault(event["detail"]["paymentId"], set()).add(event["detail-type"])
        dead = _bodies(aws, names.dead_letter_queue)
        if _bodies(aws, names.command_queue):
            problems.append("commands still on the queue after the system idled")
        for command in accepted:
            payment = command["paymentId"]
            if not _valid_payment(command):
                if command not in dead:
                    problems.append(f"rejected payment {payment} neither processed nor dead-lettered")
                continue
            announced = charges.get(payment, {}).get("announced", {}).get("BOOL", False)
            if not ((announced and outcomes.get(payment)) or command in dead):
                problems.append(f"payment {payment} lost: not announced, not dead-lettered")
            if len(outcomes.get(payment, ())) > 1:
                problems.append(f"payment {payment}: two outcomes {sorted(outcomes[payment])}")
        valid = {c["paymentId"] for c in accepted if _valid_payment(c)}
        if not set(charges) <= valid or not set(outcomes) <= valid:
            problems.append("a charge or outcome nobody asked for")
        return problems + _rules_delivered(aws, names.bus)


def _valid_payment(command: Command) -> bool:
    try:
        parse_process_payment(json.dumps(command))
    except InvalidProcessPayment:
        return False
    return True


def _rules_delivered(aws: FakeAWS, bus: str) -> list[str]:
    """Every event on ``bus`` reached the queue of every rule it matches, at least once."""
    problems = []
    events = aws.events.events(bus)
    client = aws.client("events")
    for rule in client.list_rules(EventBusName=bus)["Rules"]:
        pattern = rule.get("EventPattern")
        targets = client.list_targets_by_rule(Rule=rule["Name"], EventBusName=bus)["Targets"]
        queues = [t["Arn"].rsplit(":", 1)[1] for t in targets if ":sqs:" in t["Arn"]]
        for event in events:
            matches = client.test_event_pattern(EventPattern=pattern, Event=json.dumps(
                {**event, "detail": event["detail"]}))["Result"]
            for queue in queues if matches else ():
                if not any(body.get("id") == event["id"] for body in _bodies(aws, queue)):
                    problems.append(f"event {event['id']} ({event['detail-type']}) never reached "
                                    f"{queue} through rule {rule['Name']}")
    return problems


class Outbox:
    """AddBook behind its API; the Books stream, ChangeProcessor, the bus, the BookAdded consumer."""

    name = "outbox"
    functions = ("AddBook", "ChangeProcessor", "BookAdded")
    duplicate = ("stream:Books", "events:*")
    reorder = ()
    delay = ()

    def build(self, aws: FakeAWS, session: Any) -> None:
        outbox_infrastructure.provision(session, variant="cdc", resource_policies=False)
        outbox_lambdas.app.use(outbox_app.wire(session, variant="cdc", clock=_clock(aws)))

    def command(self, rng: random.Random) -> Command:
        name = rng.choice(["Dune", "Emma", "Ulysses", "Beloved", "Middlemarch"])
        isbn = rng.choice(["9780441013593", "not-an-isbn"])
        return {"name": name, "author": "A. Writer", "isbn": isbn}

    def send(self, aws: FakeAWS, session: Any, command: Command) -> bool:
        payload = _sync(aws, "AddBook", json.dumps({"body": json.dumps(command)}))
        return isinstance(payload, dict) and payload.get("statusCode") == 201

    def check(self, aws: FakeAWS, accepted: list[Command], sent: list[Command]) -> list[str]:
        problems = []
        catalogue = {item["name"]["S"]: item for item in aws.dynamodb.items("Catalogue")}
        event_ids: dict[str, set[str]] = {}
        for event in aws.events.events("outbox-demo"):
            if event["detail-type"] == "BookAdded":
                event_ids.setdefault(event["detail"]["name"], set()).add(event["detail"]["eventId"])
        for book in accepted:
            if book["name"] not in catalogue:
                problems.append(f"accepted book {book['name']!r} never listed")
        for name, item in catalogue.items():
            if item["timesListed"]["N"] != "1":
                problems.append(f"book {name!r} listed {item['timesListed']['N']} times")
            if len(event_ids.get(name, ())) != 1:
                problems.append(f"book {name!r}: BookAdded event ids {event_ids.get(name)}")
        if extra := set(catalogue) - {b["name"] for b in sent}:
            problems.append(f"listed books nobody added: {sorted(extra)}")
        return problems


class AsyncController:
    """addLeed answers at once; async_email_helper emails the seller and the trade's subscribers."""

    name = "async_controller"
    names = async_controller.Names()
    functions = (names.add_leed_function, names.helper_function)
    duplicate = (f"lambda:{names.helper_function}",)
    reorder = ()
    delay = (f"lambda:{names.helper_function}",)
    # SES starts in its sandbox: sellers mail from the verified domain, subscribe() verifies the rest.
    subscribers = (("caricatures", "ann", "ann@example.com"), ("caricatures", "bob", "bob@example.com"),
                   ("magic", "cy", "cy@example.com"))

    def build(self, aws: FakeAWS, session: Any) -> None:
        async_controller.provision(session)
        for trade, user, email in self.subscribers:
            async_controller.subscribe(session, trade, user, email)
        async_controller_lambdas.app.use(async_controller.wire(session, clock=_clock(aws)))

    def command(self, rng: random.Random) -> Command:
        seller = rng.choice(["ann", "scott"])
        leed_id = _uuid(rng)
        leed = {"id": leed_id, "trade": rng.choice(["caricatures", "magic"]), "seller": seller,
                "sellerEmail": f"{seller}@theleedz.com", "title": f"Wedding {leed_id[:8]}",
                "date": rng.choice(["2026-06-20", "2026-06-21"]), "zip": "90210",
                "price": {"amount": rng.choice([450, -1]), "currency": "USD"}}
        return leed

    def send(self, aws: FakeAWS, session: Any, command: Command) -> bool:
        payload = _sync(aws, self.names.add_leed_function, command)
        return isinstance(payload, dict) and payload.get("statusCode") in (200, 201)

    def check(self, aws: FakeAWS, accepted: list[Command], sent: list[Command]) -> list[str]:
        problems = []
        leeds = Counter(item["leedId"]["S"] for item in aws.dynamodb.items(self.names.leeds_table))
        mails = Counter((mail.to[0], mail.subject) for mail in aws.ses.sent())
        for leed in {c["id"]: c for c in accepted}.values():
            if leeds[leed["id"]] != 1:
                problems.append(f"leed {leed['id']} stored {leeds[leed['id']]} times")
            confirm = (leed["sellerEmail"], f"Your leed is posted: {leed['title']}")
            notify = [(email, f"New {leed['trade']} leed on {leed['date']}: {leed['title']}")
                      for trade, user, email in self.subscribers
                      if trade == leed["trade"] and user != leed["seller"]]
            for recipient, subject in [confirm, *notify]:
                if not mails[(recipient, subject)]:
                    problems.append(f"email {subject!r} to {recipient} never sent")
        if extra := set(leeds) - {c["id"] for c in sent}:
            problems.append(f"leeds stored that nobody posted: {sorted(extra)}")
        # SES has no idempotency token: a helper that died after SES took the message sends it
        # again (at least once). Without such a crash, an email goes out once.
        window = ("ses.SendEmail, after", "dynamodb.UpdateItem, before")  # SES took it, not recorded
        resent = any(point in fault.detail for fault in aws.faults.injected for point in window)
        problems.extend(f"{count} identical emails to {to}: {subject!r}"
                        for (to, subject), count in mails.items() if count > 1 and not resent)
        return problems


class CommandDispatch:
    """PROCESS_ORDER through the async dispatcher: the order recorded once, its payment asked for."""

    name = "command_dispatch"
    names = command_dispatch.Names()
    functions = ("command-dispatcher",)
    duplicate = ("lambda:command-dispatcher",)
    reorder = ()
    delay = ("lambda:command-dispatcher",)

    def build(self, aws: FakeAWS, session: Any) -> None:
        command_dispatch.provision(session)
        aws.lambda_.register("command-dispatcher",
                             command_dispatch.wire(session, clock=_clock(aws)).dispatch)

    def command(self, rng: random.Random) -> Command:
        price = rng.choice([39.9, 12.5])
        order = {"orderId": _uuid(rng), "userId": _uuid(rng),
                 "amount": {"amount": price, "currency": "EUR"},
                 "items": [{"sku": "BOK-0001", "quantity": 1,
                            "unitPrice": {"amount": price, "currency": "EUR"}}]}
        if rng.random() < 0.2:
            order["amount"] = {"amount": -1, "currency": "EUR"}
        return {"commandType": "PROCESS_ORDER", "payload": order}

    def send(self, aws: FakeAWS, session: Any, command: Command) -> bool:
        aws.lambda_.invoke_async("command-dispatcher", command)
        return True

    def check(self, aws: FakeAWS, accepted: list[Command], sent: list[Command]) -> list[str]:
        problems = []
        answered = {json.dumps(i.event, sort_keys=True): i.payload for i in aws.invocations("command-dispatcher")
                    if isinstance(i.payload, dict) and "statusCode" in i.payload}
        orders = {i["orderId"]["S"]: i for i in aws.dynamodb.items(self.names.orders_table)}
        payments: dict[str, set[str]] = {}
        for body in _bodies(aws, self.names.payment_queue):
            payments.setdefault(body["orderId"], set()).add(body["paymentId"])
        done = set()
        for command in accepted:
            order_id = command["payload"]["orderId"]
            answer = answered.get(json.dumps(command, sort_keys=True))
            if answer is None:
                problems.append(f"order {order_id}: the dispatcher never answered")
                continue
            if answer["statusCode"] != 200:
                if order_id in orders and order_id not in done:
                    problems.append(f"refused order {order_id} recorded anyway")
                continue
            done.add(order_id)
            if orders.get(order_id, {}).get("paymentRequested", {}).get("BOOL") is not True:
                problems.append(f"order {order_id} not marked paymentRequested")
            if len(payments.get(order_id, ())) != 1:
                problems.append(f"order {order_id}: payment ids {payments.get(order_id)}")
        if not set(orders) <= done:
            problems.append("an order recorded that no command asked for")
        return problems


class Destinations:
    """order -> OnSuccess update-inventory -> topic; OnFailure -> rollback: stock taken once per order."""

    name = "destinations"
    names = destinations.Names()
    functions = (names.order_function, names.inventory_function, names.rollback_function)
    duplicate = ("lambda:*",)
    reorder = (f"sqs:{names.notifications_queue}",)
    delay = ("lambda:*",)
    stock = {"BOK-0001": 6, "BOK-0002": 2}

    def build(self, aws: FakeAWS, session: Any) -> None:
        destinations.provision(session, stock=dict(self.stock))
        destinations_lambdas.app.use(destinations.wire(session, clock=_clock(aws)))

    def command(self, rng: random.Random) -> Command:
        lines = [{"sku": sku, "quantity": rng.randint(1, 3), "unitPrice": {"amount": 10, "currency": "EUR"}}
                 for sku in rng.sample(sorted(self.stock), rng.randint(1, 2))]
        total = sum(line["quantity"] * 10 for line in lines) + rng.choice([0, 0, 0, 5])  # 5: invalid
        return {"orderId": _uuid(rng), "customerId": _uuid(rng), "items": lines,
                "total": {"amount": total, "currency": "EUR"}, "placedAt": "2026-01-15T10:00:00Z"}

    def send(self, aws: FakeAWS, session: Any, command: Command) -> bool:
        aws.lambda_.invoke_async(self.names.order_function, command)
        return True

    def check(self, aws: FakeAWS, accepted: list[Command], sent: list[Command]) -> list[str]:
        names, problems = self.names, []
        orders = {i["orderId"]["S"]: i for i in aws.dynamodb.items(names.orders_table)}
        reserved = {i["orderId"]["S"]: json.loads(i["lines"]["S"])
                    for i in aws.dynamodb.items(names.reservations_table)}
        announced: dict[str, int] = Counter()
        for body in _bodies(aws, names.notifications_queue):
            order_id = body.get("orderId") or body.get("responsePayload", {}).get("orderId")
            announced[order_id] += 1
        for order in {c["orderId"]: c for c in accepted}.values():
            order_id = order["orderId"]
            rolled_back = orders.get(order_id, {}).get("status", {}).get("S") == "ROLLED_BACK"
            if rolled_back == (order_id in reserved):
                state = "both reserved and rolled back" if rolled_back else "neither reserved nor rolled back"
                problems.append(f"order {order_id}: {state}")
            if not announced[order_id]:
                problems.append(f"order {order_id}: its outcome never reached the notifications queue")
        stock = {i["sku"]["S"]: int(i["stock"]["N"]) for i in aws.dynamodb.items(names.inventory_table)}
        for sku, initial in self.stock.items():
            taken = sum(lines.get(sku, 0) for lines in reserved.values())
            if initial - stock[sku] != taken:
                problems.append(f"{sku}: stock {initial} -> {stock[sku]} but reservations took {taken}")
        if not set(reserved) <= {c["orderId"] for c in accepted}:
            problems.append("a reservation nobody asked for")
        return problems


def forget_wired_apps() -> None:
    """The patterns' module-level apps were handed wired handlers: forget them (a cold start)."""
    for lambdas in (async_controller_lambdas, command_bus_lambdas, destinations_lambdas, outbox_lambdas):
        lambdas.app.cold_start()


PATTERNS: dict[str, Any] = {p.name: p for p in (
    CommandBus(), Outbox(), AsyncController(), CommandDispatch(), Destinations())}
