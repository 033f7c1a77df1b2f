"""Serving over HTTP on the fakes: an application's own server, hardened, or a template's APIs."""

from eventproof.serving.app_front import MAX_JSON_DEPTH, AppFront
from eventproof.serving.template_front import build_template_server, routes_of

__all__ = ["MAX_JSON_DEPTH", "AppFront", "build_template_server", "routes_of"]
