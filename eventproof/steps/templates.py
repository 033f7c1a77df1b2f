"""A template deployed on moto: its resources through the fakes' provisioner, its functions in process.

moto's own CloudFormation lacks many of the resource types a SAM app uses,
and its Lambda cannot run Python handlers without Docker. So on moto the
step deploys with ``eventproof_fakes.cloudformation.Provisioner`` through the world's
moto clients (the same calls as on the fakes), and each function of the
template becomes the world's in-process handler: its own code folder's
modules (``eventproof_fakes.lambda_.modules.CodeNamespace``) run with its own
environment variables in ``os.environ``, as Lambda would run them.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventproof.steps.world import World
    from eventproof_fakes.cloudformation import Stack

__all__ = ["deploy_on_moto"]


def deploy_on_moto(world: World, template: str | os.PathLike[str], parameters: dict[str, str]) -> Stack:
    from eventproof_fakes.cloudformation import Provisioner, Stack
    from eventproof_fakes.cloudformation.template import read_template

    path = Path(template)
    read = read_template(path.read_text(), source=str(path), base_dir=path.parent.resolve(),
                         parameters=parameters, session=world.session)
    deployment = Provisioner(world.session).deploy(read, stack_name=path.parent.name or "stack",
                                                   parameters=parameters)
    lambda_client = world.session.client("lambda")
    for logical_id, built in deployment.resources.items():
        if built.type != "AWS::Lambda::Function":
            continue
        code = (read.resources[logical_id].get("Properties") or {}).get("Code") or {}
        folder = read.code_folders.get(str(code.get("S3Key")))
        if folder is None:
            continue  # inline or CDK code: invoking it names the missing in-process handler
        configuration = lambda_client.get_function(FunctionName=built.physical_id)["Configuration"]
        variables = (configuration.get("Environment") or {}).get("Variables") or {}
        region = world.session.region_name or "us-east-1"
        lambda_variables = {  # what Lambda sets in every function's environment
            "AWS_REGION": region, "AWS_DEFAULT_REGION": region, "_HANDLER": configuration["Handler"],
            "AWS_LAMBDA_FUNCTION_NAME": built.physical_id, "LAMBDA_TASK_ROOT": str(folder),
        }
        world.local_handler(built.physical_id, _in_process(
            folder, configuration["Handler"], {**variables, **lambda_variables}))
    return Stack(deployment.stack_name, "", path.read_text(), datetime.now(UTC),
                 status="CREATE_COMPLETE", deployment=deployment)


def _in_process(folder: Path, handler: str, variables: dict[str, str]) -> Callable[[Any, Any], Any]:
    from eventproof_fakes.lambda_.modules import CodeNamespace

    namespace = CodeNamespace(folder)
    module_name, _, attribute = handler.rpartition(".")

    def run(event: Any, context: Any) -> Any:
        saved = dict(os.environ)
        os.environ.update(variables)
        namespace.enter()
        try:
            module = importlib.import_module(module_name.replace("/", "."))
            return getattr(module, attribute)(event, context)
        finally:
            namespace.leave()
            os.environ.clear()
            os.environ.update(saved)

    return run
