"""``FakeAWS.snapshot()`` / ``restore()``: back to exactly the state of the snapshot, every time.

``everything(aws)`` reads every service's state through boto3, then drives
the environment on (timers, the event source mapping, deliveries to
subscribers and rule targets) and reads again, ids and clock included. It
is deterministic, so two calls from equal states give equal answers: the
test compares a run from the snapshot's own moment with runs after restores.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from eventproof_fakes import FakeAWS
from eventproof_fakes.lambda_.code import package
from eventproof_fakes.snapshots import Snapshot, SnapshotError


class Recorder:
    """A Lambda handler whose memory is the test's: a restore must not copy it."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, event: dict[str, Any], context: Any) -> None:
        for record in event["Records"]:
            self.seen.append(record["body"])
            FakeAWS.session().client("dynamodb").put_item(
                TableName="Orders", Item={"id": {"S": f"from-{record['body']}"}})


def provisioned(recorder: Recorder) -> FakeAWS:
    """Every service with state in flight: stream records, an in-flight message, a retry timer."""
    aws = FakeAWS(seed=3)
    with aws.patch_boto3():
        ddb, sqs, sns, events = (aws.client(s) for s in ("dynamodb", "sqs", "sns", "events"))
        ddb.create_table(TableName="Orders", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST", StreamSpecification={
                             "StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        ddb.put_item(TableName="Orders", Item={"id": {"S": "a"}, "n": {"N": "1"}})
        ddb.update_item(TableName="Orders", Key={"id": {"S": "a"}}, UpdateExpression="SET n = :two",
                        ExpressionAttributeValues={":two": {"N": "2"}})
        inbox = sqs.create_queue(QueueName="inbox", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
        for body in ("one", "two", "three"):
            sqs.send_message(QueueUrl=inbox, MessageBody=body)
        sqs.receive_message(QueueUrl=inbox, MaxNumberOfMessages=1)  # "one" is in flight
        fanout = sqs.create_queue(QueueName="fanout")["QueueUrl"]
        fanout_arn = _arn(sqs, fanout)
        topic = sns.create_topic(Name="orders")["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=fanout_arn)
        events.create_event_bus(Name="shop")
        events.put_rule(Name="all", EventBusName="shop", EventPattern=json.dumps({"source": ["shop"]}))
        events.put_targets(Rule="all", EventBusName="shop", Targets=[{"Id": "q", "Arn": fanout_arn}])
        aws.lambda_.register("worker", recorder)
        work = sqs.create_queue(QueueName="work")["QueueUrl"]
        aws.client("lambda").create_event_source_mapping(
            EventSourceArn=_arn(sqs, work), FunctionName="worker", BatchSize=1)
        sqs.send_message(QueueUrl=work, MessageBody="queued", DelaySeconds=5)
        aws.client("s3").create_bucket(Bucket="docs")
        aws.client("s3").put_object(Bucket="docs", Key="a.txt", Body=b"hello")
        kinesis = aws.client("kinesis")
        kinesis.create_stream(StreamName="clicks", ShardCount=1)
        kinesis.put_record(StreamName="clicks", Data=b"click", PartitionKey="k")
        aws.clock.advance(17)
    return aws


def everything(aws: FakeAWS) -> dict[str, Any]:
    """Read, drive on, read again: any difference of state shows up in the answer."""
    seen: dict[str, Any] = {"now": aws.clock.now(), "id": aws.ids.uuid()}
    with aws.patch_boto3():
        ddb, sqs, s3, kinesis = (aws.client(s) for s in ("dynamodb", "sqs", "s3", "kinesis"))
        inbox = sqs.get_queue_url(QueueName="inbox")["QueueUrl"]
        seen["inbox counts"] = sqs.get_queue_attributes(QueueUrl=inbox, AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        seen["orders"] = ddb.scan(TableName="Orders")["Items"]
        stream_arn = ddb.describe_table(TableName="Orders")["Table"]["LatestStreamArn"]
        streams = aws.client("dynamodbstreams")
        shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]
        iterator = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        seen["stream"] = [(r["eventName"], r["dynamodb"]["SequenceNumber"], r["dynamodb"].get("NewImage"))
                          for r in streams.get_records(ShardIterator=iterator)["Records"]]
        seen["s3"] = s3.get_object(Bucket="docs", Key="a.txt")["Body"].read()
        shard_id = kinesis.describe_stream(StreamName="clicks")["StreamDescription"]["Shards"][0]["ShardId"]
        kinesis_iterator = kinesis.get_shard_iterator(StreamName="clicks", ShardId=shard_id,
                                                      ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        seen["kinesis"] = [(r["Data"], r["SequenceNumber"])
                           for r in kinesis.get_records(ShardIterator=kinesis_iterator)["Records"]]
        seen["functions"] = [f["FunctionName"] for f in aws.client("lambda").list_functions()["Functions"]]
        seen["mappings"] = [(m["UUID"], m["State"]) for m in
                            aws.client("lambda").list_event_source_mappings()["EventSourceMappings"]]
        aws.client("sns").publish(TopicArn=aws.arn("sns", "orders"), Message="published")
        aws.client("events").put_events(Entries=[{"EventBusName": "shop", "Source": "shop",
                                                  "DetailType": "x", "Detail": "{}"}])
        aws.run_until_idle()  # the delayed message reaches the worker through its mapping
        aws.clock.advance(31)  # "one" becomes visible again
        seen["inbox"] = [(m["MessageId"], m["Body"], m["Attributes"]["ApproximateReceiveCount"])
                         for m in sqs.receive_message(QueueUrl=inbox, MaxNumberOfMessages=10,
                                                      AttributeNames=["All"])["Messages"]]
        fanout = sqs.get_queue_url(QueueName="fanout")["QueueUrl"]
        seen["fanout"] = sorted(m["Body"] for m in sqs.receive_message(
            QueueUrl=fanout, MaxNumberOfMessages=10)["Messages"])
        seen["orders after"] = ddb.scan(TableName="Orders")["Items"]
        seen["invocations"] = [(i.event, i.attempt) for i in aws.invocations("worker")]
    seen["later id"], seen["later now"] = aws.ids.uuid(), aws.clock.now()
    return seen


def _arn(sqs: Any, url: str) -> str:
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def test_a_restore_gives_back_exactly_the_state_of_the_snapshot() -> None:
    recorder = Recorder()
    aws = provisioned(recorder)
    snapshot = aws.snapshot()
    original = everything(aws)
    assert original["inbox counts"] == {"ApproximateNumberOfMessages": "2",
                                        "ApproximateNumberOfMessagesNotVisible": "1"}
    assert [body for _, body, _ in original["inbox"]] == ["one", "two", "three"]
    assert len(original["fanout"]) == 2 and original["stream"][1][0] == "MODIFY"
    assert {"id": {"S": "from-queued"}} in original["orders after"]

    aws.restore(snapshot)
    assert everything(aws) == original
    # Restoring twice from one snapshot: what the first restore's run changed did not leak.
    aws.restore(snapshot)
    assert everything(aws) == original
    assert recorder.seen == ["queued"] * 3  # one handler, shared by every restore


def test_changes_after_a_restore_never_reach_the_snapshot() -> None:
    aws = provisioned(Recorder())
    snapshot = aws.snapshot()
    original = everything(aws)
    aws.restore(snapshot)
    with aws.patch_boto3():
        aws.client("dynamodb").delete_item(TableName="Orders", Key={"id": {"S": "a"}})
        aws.client("sqs").purge_queue(QueueUrl=aws.client("sqs").get_queue_url(
            QueueName="inbox")["QueueUrl"])
        aws.client("s3").delete_object(Bucket="docs", Key="a.txt")
        aws.client("lambda").delete_function(FunctionName="worker")
    aws.clock.advance(3600)
    aws.ids.uuid()
    aws.restore(snapshot)
    assert everything(aws) == original


def test_a_timer_pending_at_the_snapshot_acts_on_the_restored_services() -> None:
    attempts: list[int] = []

    def flaky(event: Any, context: Any) -> None:
        attempts.append(1)
        raise RuntimeError("down")

    aws = FakeAWS()
    aws.lambda_.register("flaky", flaky)
    aws.lambda_.invoke_async("flaky", "{}")
    aws.clock.advance(0)  # the first attempt fails; the retry waits on a timer
    assert len(aws.invocations("flaky")) == 1
    snapshot = aws.snapshot()
    aws.run_until_idle()
    first = [(i.attempt, i.error is not None) for i in aws.invocations("flaky")]
    aws.restore(snapshot)
    aws.run_until_idle()
    assert [(i.attempt, i.error is not None) for i in aws.invocations("flaky")] == first
    # AWS retries an async invoke twice: both retries ran after the snapshot, and again after it.
    assert len(first) == 3 and len(attempts) == 1 + 2 + 2


def test_what_watches_the_environment_stays_across_a_restore() -> None:
    aws = FakeAWS()
    with aws.patch_boto3():
        aws.client("sqs").create_queue(QueueName="q")
    snapshot = aws.snapshot()
    calls: list[str] = []
    observer = aws.faults.observe(lambda call: calls.append(call.operation))
    aws.restore(snapshot)
    with aws.patch_boto3():
        aws.client("sqs").get_queue_url(QueueName="q")
    assert calls == ["GetQueueUrl"]
    observer.cancel()
    with aws.patch_boto3():
        aws.client("sqs").get_queue_url(QueueName="q")
    assert calls == ["GetQueueUrl"]


def test_a_snapshot_goes_back_only_to_its_own_environment() -> None:
    snapshot = FakeAWS().snapshot()
    with pytest.raises(SnapshotError, match="another FakeAWS"):
        FakeAWS().restore(snapshot)
    with pytest.raises(SnapshotError, match="expects a Snapshot"):
        FakeAWS().restore("not a snapshot")  # type: ignore[arg-type]
    assert isinstance(snapshot, Snapshot) and "bytes" in repr(snapshot)


def test_no_snapshot_while_the_environment_runs() -> None:
    aws = FakeAWS()
    refused: list[str] = []

    def handler(event: Any, context: Any) -> None:
        try:
            aws.snapshot()
        except SnapshotError as error:
            refused.append(str(error))

    aws.lambda_.register("f", handler)
    aws.lambda_.invoke_async("f", "{}")
    aws.run_until_idle()
    assert refused and "between runs" in refused[0]


def test_what_cannot_be_copied_is_named() -> None:
    aws = FakeAWS()
    aws.sqs.not_copyable = (x for x in ())  # a generator: no copy of it exists
    with pytest.raises(SnapshotError, match="generator"):
        aws.snapshot()


def test_code_a_warm_function_loaded_stays_loaded_across_restores(tmp_path: Any) -> None:
    """The module is imported once (Lambda's init), not again after each restore."""
    code_folder = tmp_path / "counter"
    code_folder.mkdir()
    (code_folder / "app.py").write_text(
        "inits = [1]  # runs once per import: Lambda's init\n"
        "calls = []\n"
        "def lambda_handler(event, context):\n"
        "    calls.append(event)\n"
        "    return {'inits': len(inits), 'calls': len(calls)}\n")
    aws = FakeAWS()
    with aws.patch_boto3():
        aws.client("lambda").create_function(
            FunctionName="counter", Runtime="python3.12", Role="arn:aws:iam::123456789012:role/r",
            Handler="app.lambda_handler", Code={"ZipFile": package(code_folder)})
        first = aws.lambda_.invoke_sync("counter", "{}").payload
        snapshot = aws.snapshot()
        answers = []
        for _ in range(2):
            aws.restore(snapshot)
            answers.append(aws.lambda_.invoke_sync("counter", "{}").payload)
    # One init for all; the module's own memory is code, shared like a warm sandbox's.
    assert first == {"inits": 1, "calls": 1}
    assert answers == [{"inits": 1, "calls": 2}, {"inits": 1, "calls": 3}]
