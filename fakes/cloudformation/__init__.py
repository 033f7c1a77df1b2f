"""A fake CloudFormation: templates (CloudFormation, SAM, CDK output) provisioned through boto3.

``FakeAWS.from_template(path)`` is the shortcut; ``Provisioner`` deploys the
same template through any boto3 clients (moto's, say).
"""

from eventproof_fakes.cloudformation.backend import CloudFormation
from eventproof_fakes.cloudformation.errors import (
    NotModelled,
    Report,
    StrictModeError,
    TemplateError,
)
from eventproof_fakes.cloudformation.provisioner import Deployment, Provisioner
from eventproof_fakes.cloudformation.stack import Stack
from eventproof_fakes.cloudformation.template import Template, read_template

__all__ = [
    "CloudFormation",
    "Deployment",
    "NotModelled",
    "Provisioner",
    "Report",
    "Stack",
    "StrictModeError",
    "Template",
    "TemplateError",
    "read_template",
]
