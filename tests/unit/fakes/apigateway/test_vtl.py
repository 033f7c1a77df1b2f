"""API Gateway's mapping-template variables, rendered by a real Velocity engine (airspeed)."""

from __future__ import annotations

import json

import pytest

from eventproof_fakes.apigateway.vtl import InputVariable, TemplateError, UtilVariable, render

PARAMS = {"path": {"id": "7"}, "querystring": {"q": "x"}, "header": {"X-User": "ana"}}


def run(
    template: str, body: str = "", context: dict | None = None, stage: dict | None = None
) -> str:
    return render(
        template,
        input_variable=InputVariable(body, PARAMS),
        context=context or {},
        stage_variables=stage or {},
    )


def test_input_json_and_path_evaluate_jsonpath() -> None:
    body = json.dumps({"order": {"id": 3, "items": [{"sku": "a"}, {"sku": "b"}]}})
    assert run("$input.json('$.order')", body) == '{"id": 3, "items": [{"sku": "a"}, {"sku": "b"}]}'
    assert run("$input.path('$.order.id')", body) == "3"
    assert run("#foreach($i in $input.path('$.order.items'))$i.sku;#end", body) == "a;b;"
    assert run("$input.json('$.order.items[*].sku')", body) == '["a", "b"]'


def test_input_body_and_params() -> None:
    assert run("$input.body", "raw text") == "raw text"
    assert run("$input.params('id')/$input.params('q')/$input.params('x-user')") == "7/x/ana"
    assert run("$input.params().path.id") == "7"


def test_a_missing_reference_renders_as_velocity_does() -> None:
    assert run("$input.path('$.nope')", "{}") == "$input.path('$.nope')"
    assert run("[$!input.path('$.nope')]", "{}") == "[]"


def test_context_and_stage_variables() -> None:
    out = run(
        "$context.requestId $context.identity.sourceIp $stageVariables.table",
        context={"requestId": "r-1", "identity": {"sourceIp": "192.0.2.1"}},
        stage={"table": "Books"},
    )
    assert out == "r-1 192.0.2.1 Books"


def test_escape_javascript_follows_javascript_string_rules() -> None:
    assert UtilVariable.escapeJavaScript('a "b" \\ c\nd') == 'a \\"b\\" \\\\ c\\nd'
    # Single quotes become \' (not valid JSON), as on AWS.
    assert UtilVariable.escapeJavaScript("it's") == "it\\'s"
    assert UtilVariable.escapeJavaScript("é/😀") == "\\u00E9\\/\\uD83D\\uDE00"


def test_util_encoders() -> None:
    assert run("$util.urlEncode('a b&c=d')") == "a+b%26c%3Dd"
    assert run("$util.urlDecode('a+b%26c')") == "a b&c"
    assert run("$util.base64Encode('hi')") == "aGk="
    assert run("$util.base64Decode('aGk=')") == "hi"
    assert run("#set($o = $util.parseJson('{\"a\": [1, 2]}'))$o.a.size()") == "2"


def test_an_invalid_jsonpath_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match="invalid JSONPath"):
        run("$input.json('$..[')", "{}")


def test_parse_json_of_non_json_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match="parseJson"):
        run("$util.parseJson('not json')")
