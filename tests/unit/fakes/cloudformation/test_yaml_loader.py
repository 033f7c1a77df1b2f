"""Reading templates: short forms become long forms, lines are kept, YAML 1.1 surprises are avoided."""

from __future__ import annotations

import pytest
import yaml

from eventproof_fakes.cloudformation import TemplateError
from eventproof_fakes.cloudformation.yaml_loader import line_of, load_template_text


def test_short_forms_become_the_long_forms_cloudformation_reads() -> None:
    document = load_template_text(
        "A: !Ref Q\nB: !GetAtt Q.Arn\nC: !Sub ['${x}', {x: 1}]\nD: !Condition IsProd\n"
        "E: !If [IsProd, !Join [',', [a, b]], !Ref AWS::NoValue]\nF: !GetAtt [Q, QueueName]\n"
    )
    assert document == {
        "A": {"Ref": "Q"},
        "B": {"Fn::GetAtt": ["Q", "Arn"]},
        "C": {"Fn::Sub": ["${x}", {"x": 1}]},
        "D": {"Condition": "IsProd"},
        "E": {"Fn::If": ["IsProd", {"Fn::Join": [",", ["a", "b"]]}, {"Ref": "AWS::NoValue"}]},
        "F": {"Fn::GetAtt": ["Q", "QueueName"]},
    }


def test_each_key_remembers_its_line() -> None:
    document = load_template_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: x\n")
    queue = document["Resources"]["Q"]
    assert (line_of(document, "Resources"), line_of(document["Resources"], "Q")) == (1, 2)
    assert line_of(queue["Properties"], "QueueName") == 5


def test_json_templates_keep_lines_too() -> None:
    document = load_template_text('{\n  "Resources": {\n    "Q": {"Type": "AWS::SQS::Queue"}\n  }\n}\n')
    assert line_of(document["Resources"], "Q") == 3


def test_dates_and_versions_stay_strings() -> None:
    document = load_template_text("AWSTemplateFormatVersion: 2010-09-09\nVersion: '2012-10-17'\nOther: 2012-10-17\n")
    assert document == {"AWSTemplateFormatVersion": "2010-09-09", "Version": "2012-10-17", "Other": "2012-10-17"}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("A: 1\nA: 2\n", 2, "duplicate key 'A'"),
        ("A: !Nope x\n", 1, "unknown tag !Nope"),
        ("A: [1, 2\nB: 3\n", 2, "not valid YAML"),
        ("", 1, "the template is empty"),
        ("- a\n- b\n", 1, "expected a mapping"),
    ],
)
def test_unreadable_text_names_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(TemplateError, match=message) as raised:
        load_template_text(text, "t.yaml")
    assert raised.value.line == line
    assert raised.value.describe().startswith(f"t.yaml:{line}: ")


PLAIN_YAML = """\
Defaults: &defaults {Timeout: 30, MemorySize: 128, Tracing: null, Enabled: true}
Resources:
  First:
    Type: AWS::SQS::Queue
    Properties:
      <<: *defaults
      DelaySeconds: 0x1f
      Ratio: 1.5e3
      Tags: [a, 'b', 7, no, ~]
  Second:
    Type: AWS::SQS::Queue
    Properties: *defaults
  Binary: !!binary aGVsbG8=
"""


def test_plain_yaml_reads_as_pyyaml_reads_it_and_aliases_share_their_value() -> None:
    document = load_template_text(PLAIN_YAML)
    assert document == yaml.safe_load(PLAIN_YAML)
    resources = document["Resources"]
    assert resources["Second"]["Properties"] is document["Defaults"]
    assert resources["First"]["Properties"].lines["DelaySeconds"] == 7
