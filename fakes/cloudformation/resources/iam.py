"""IAM roles and policies: accepted, not enforced.

eventproof's fakes check no permissions, so a role is only a name and an ARN
for them. On a backend that answers IAM (moto), the role is created there
too, because moto's Lambda refuses a function whose role does not exist.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from eventproof_fakes.cloudformation.resources.base import (
    Built,
    ResourceContext,
    ResourceType,
    json_text,
)

__all__ = ["ManagedPolicy", "Policy", "Role"]

_NOT_ENFORCED = "accepted, not enforced"


class Role(ResourceType):
    type_name = "AWS::IAM::Role"
    documented = frozenset({
        "AssumeRolePolicyDocument", "Description", "ManagedPolicyArns", "MaxSessionDuration",
        "Path", "PermissionsBoundary", "Policies", "RoleName", "Tags",
    })
    required = ("AssumeRolePolicyDocument",)

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        name = props.get("RoleName") or ctx.name(64)
        path = props.get("Path", "/")
        arn = ctx.arn("iam", f"role{path}{name}", regional=False)
        role_id = "AROA" + name.upper().replace("-", "")[:17].ljust(17, "X")
        built = self.built(ctx, name, name, Arn=arn, RoleId=role_id)
        try:
            iam = ctx.client("iam")
            created = iam.create_role(
                RoleName=name, Path=path, AssumeRolePolicyDocument=json_text(props["AssumeRolePolicyDocument"])
            )["Role"]
        except ClientError as error:
            if error.response["Error"]["Code"] != "UnsupportedService":
                raise
            built.wired_to.append(f"{len(props.get('Policies') or [])} inline, "
                                  f"{len(props.get('ManagedPolicyArns') or [])} managed policies ({_NOT_ENFORCED})")
            return built
        built.attributes.update(Arn=created["Arn"], RoleId=created["RoleId"])
        # Only the role itself is created there (Lambda checks that it exists); its policies grant
        # nothing eventproof checks, so they are not put on it.
        built.wired_to.append(f"{len(props.get('Policies') or [])} inline, "
                              f"{len(props.get('ManagedPolicyArns') or [])} managed policies ({_NOT_ENFORCED})")
        built.undo.append(("iam", "delete_role", {"RoleName": name}))
        return built


class Policy(ResourceType):
    type_name = "AWS::IAM::Policy"
    documented = frozenset({"Groups", "PolicyDocument", "PolicyName", "Roles", "Users"})
    required = ("PolicyDocument", "PolicyName")

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        physical = ctx.name(128)
        built = self.built(ctx, physical, physical, Id=physical)
        built.wired_to.append(f"on roles {', '.join(props.get('Roles') or []) or '-'} ({_NOT_ENFORCED})")
        return built


class ManagedPolicy(ResourceType):
    type_name = "AWS::IAM::ManagedPolicy"
    documented = frozenset({
        "Description", "Groups", "ManagedPolicyName", "Path", "PolicyDocument", "Roles", "Users",
    })
    required = ("PolicyDocument",)

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        name = props.get("ManagedPolicyName") or ctx.name(128)
        arn = ctx.arn("iam", f"policy{props.get('Path', '/')}{name}", regional=False)
        built = self.built(ctx, arn, arn, PolicyArn=arn)
        built.wired_to.append(f"on roles {', '.join(props.get('Roles') or []) or '-'} ({_NOT_ENFORCED})")
        return built
