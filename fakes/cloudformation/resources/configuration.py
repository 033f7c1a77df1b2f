"""Where handlers read configuration and send mail from: SSM parameters, secrets, SES identities."""

from __future__ import annotations

from typing import Any

from eventproof_fakes.cloudformation.resources.base import Built, ResourceContext, ResourceType

__all__ = ["EmailIdentity", "Parameter", "Secret"]


class Parameter(ResourceType):
    """``AWS::SSM::Parameter``: Ref is the name; GetAtt Type and Value."""

    type_name = "AWS::SSM::Parameter"
    documented = frozenset({
        "AllowedPattern", "DataType", "Description", "Name", "Policies", "Tags", "Tier", "Type",
        "Value",
    })
    not_modelled = {
        "Policies": "parameter policies are not modelled",
        "Tier": "only the Standard tier is modelled",
        "DataType": "only the text data type is modelled",
    }
    required = ("Type", "Value")

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        name = props.get("Name") or ctx.name(1011)
        request: dict[str, Any] = {"Name": name, "Type": props["Type"], "Value": str(props["Value"])}
        for key in ("Description", "AllowedPattern"):
            if key in props:
                request[key] = props[key]
        if props.get("Tags"):
            request["Tags"] = [{"Key": k, "Value": v} for k, v in dict(props["Tags"]).items()]
        ctx.client("ssm").put_parameter(**request)
        built = self.built(ctx, name, name, Type=props["Type"], Value=str(props["Value"]))
        built.undo.append(("ssm", "delete_parameter", {"Name": name}))
        return built


class Secret(ResourceType):
    """``AWS::SecretsManager::Secret``: Ref is the secret's ARN; GetAtt Id."""

    type_name = "AWS::SecretsManager::Secret"
    documented = frozenset({
        "Description", "GenerateSecretString", "KmsKeyId", "Name", "ReplicaRegions",
        "SecretString", "Tags",
    })
    not_modelled = {
        "GenerateSecretString": "generated secret values are not modelled: give SecretString",
        "KmsKeyId": "KMS keys are not modelled",
        "ReplicaRegions": "replicas are not modelled",
    }

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        name = props.get("Name") or ctx.name(256)
        request: dict[str, Any] = {"Name": name}
        for key in ("Description", "SecretString"):
            if key in props:
                request[key] = props[key]
        if props.get("Tags"):
            request["Tags"] = [{"Key": t["Key"], "Value": t["Value"]} for t in props["Tags"]]
        arn = ctx.client("secretsmanager").create_secret(**request)["ARN"]
        built = self.built(ctx, arn, arn, Id=arn)
        built.undo.append(("secretsmanager", "delete_secret",
                           {"SecretId": arn, "ForceDeleteWithoutRecovery": True}))
        return built


class EmailIdentity(ResourceType):
    """``AWS::SES::EmailIdentity``: an address or domain SES may send from (verified at once)."""

    type_name = "AWS::SES::EmailIdentity"
    documented = frozenset({
        "ConfigurationSetAttributes", "DkimAttributes", "DkimSigningAttributes", "EmailIdentity",
        "FeedbackAttributes", "MailFromAttributes", "Tags",
    })
    not_modelled = {
        key: "not modelled by eventproof's SES" for key in documented - {"EmailIdentity"}
    }
    required = ("EmailIdentity",)

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        identity = props["EmailIdentity"]
        ctx.client("sesv2").create_email_identity(EmailIdentity=identity)
        built = self.built(ctx, identity, identity)
        built.undo.append(("sesv2", "delete_email_identity", {"EmailIdentity": identity}))
        return built
