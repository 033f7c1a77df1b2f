"""Put/Update/Get/Delete/ListFunctionEventInvokeConfig(s): retries, event age, destinations.

Ranges from https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html:
MaximumRetryAttempts 0-2, MaximumEventAgeInSeconds 60-21600. Destinations
may be SQS queues, SNS topics, Lambda functions or EventBridge buses.
"""

from __future__ import annotations

from typing import Any

from eventproof_fakes.lambda_.destinations import service_of
from eventproof_fakes.lambda_.errors import invalid_parameter, not_found, validation
from eventproof_fakes.lambda_.functions import EventInvokeConfig, Function, FunctionsAPI
from eventproof_fakes.limits import (
    LAMBDA_ASYNC_DEFAULT_RETRIES,
    LAMBDA_ASYNC_MAX_EVENT_AGE_SECONDS,
    LAMBDA_ASYNC_MIN_EVENT_AGE_SECONDS,
)
from eventproof_fakes.operations import operation

DESTINATION_SERVICES = ("sqs", "sns", "lambda", "events")


class EventInvokeConfigAPI(FunctionsAPI):
    """Mixed into ``Lambda``."""

    @operation
    def put_function_event_invoke_config(self, params: dict[str, Any]) -> dict[str, Any]:
        function = self._config_target(params)
        function.invoke_config = self._validated(params, EventInvokeConfig())
        return self._describe(function)

    @operation
    def update_function_event_invoke_config(self, params: dict[str, Any]) -> dict[str, Any]:
        function = self._config_target(params)
        function.invoke_config = self._validated(
            params, function.invoke_config or EventInvokeConfig()
        )
        return self._describe(function)

    @operation
    def get_function_event_invoke_config(self, params: dict[str, Any]) -> dict[str, Any]:
        function = self._config_target(params)
        if function.invoke_config is None:
            raise not_found(f"The function {function.latest_arn} doesn't have an EventInvokeConfig")
        return self._describe(function)

    @operation
    def delete_function_event_invoke_config(self, params: dict[str, Any]) -> dict[str, Any]:
        function = self._config_target(params)
        if function.invoke_config is None:
            raise not_found(f"The function {function.latest_arn} doesn't have an EventInvokeConfig")
        function.invoke_config = None
        return {"_http_status": 204}

    @operation
    def list_function_event_invoke_configs(self, params: dict[str, Any]) -> dict[str, Any]:
        function = self._config_target(params)
        configs = [self._describe(function)] if function.invoke_config else []
        return {"FunctionEventInvokeConfigs": configs}

    # --- helpers ------------------------------------------------------------
    def _config_target(self, params: dict[str, Any]) -> Function:
        reference = params["FunctionName"]
        if params.get("Qualifier"):
            reference = f"{reference}:{params['Qualifier']}"
        return self.function(reference)

    def _validated(self, params: dict[str, Any], base: EventInvokeConfig) -> EventInvokeConfig:
        retries = params.get("MaximumRetryAttempts", base.maximum_retry_attempts)
        if retries is not None and not 0 <= retries <= LAMBDA_ASYNC_DEFAULT_RETRIES:
            bound = "greater than or equal to 0" if retries < 0 else "less than or equal to 2"
            raise validation(retries, "maximumRetryAttempts", f"Member must have value {bound}")
        age = params.get("MaximumEventAgeInSeconds", base.maximum_event_age_seconds)
        if age is not None and not (
            LAMBDA_ASYNC_MIN_EVENT_AGE_SECONDS <= age <= LAMBDA_ASYNC_MAX_EVENT_AGE_SECONDS
        ):
            bound = (
                f"greater than or equal to {LAMBDA_ASYNC_MIN_EVENT_AGE_SECONDS}"
                if age < LAMBDA_ASYNC_MIN_EVENT_AGE_SECONDS
                else f"less than or equal to {LAMBDA_ASYNC_MAX_EVENT_AGE_SECONDS}"
            )
            raise validation(age, "maximumEventAgeInSeconds", f"Member must have value {bound}")
        on_success, on_failure = base.on_success, base.on_failure
        if "DestinationConfig" in params:
            config = params["DestinationConfig"]
            on_success = config.get("OnSuccess", {}).get("Destination") or None
            on_failure = config.get("OnFailure", {}).get("Destination") or None
        for destination in (on_success, on_failure):
            if destination and service_of(destination) not in DESTINATION_SERVICES:
                raise invalid_parameter(f"The destination ARN {destination} is invalid.")
        return EventInvokeConfig(
            maximum_retry_attempts=retries,
            maximum_event_age_seconds=age,
            on_success=on_success,
            on_failure=on_failure,
            last_modified=self.env.clock.now_datetime(),
        )

    @staticmethod
    def _describe(function: Function) -> dict[str, Any]:
        config = function.invoke_config
        assert config is not None
        response: dict[str, Any] = {
            "FunctionArn": function.latest_arn,
            "LastModified": config.last_modified,
            "DestinationConfig": {
                "OnSuccess": {"Destination": config.on_success} if config.on_success else {},
                "OnFailure": {"Destination": config.on_failure} if config.on_failure else {},
            },
        }
        if config.maximum_retry_attempts is not None:
            response["MaximumRetryAttempts"] = config.maximum_retry_attempts
        if config.maximum_event_age_seconds is not None:
            response["MaximumEventAgeInSeconds"] = config.maximum_event_age_seconds
        return response
