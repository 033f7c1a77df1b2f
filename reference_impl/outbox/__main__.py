"""``python -m reference_impl.outbox``: the HTTP front on the AWS your environment points at.

reference_impl knows only boto3, so this runs against whatever boto3 is
configured for (real AWS, or ``AWS_ENDPOINT_URL`` for moto's server or
LocalStack). For the in-memory fakes, run ``eventproof serve outbox``.
"""

from __future__ import annotations

import argparse
import logging
import sys

import boto3

from reference_impl.outbox.http import build_server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reference_impl.outbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--variant", choices=["cdc"], default="cdc", help="the HTTP front serves the CDC variant")
    parser.add_argument("--provision", action="store_true", help="create the tables, bus, functions first")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    server = build_server(boto3.session.Session(), host=args.host, port=args.port, create_resources=args.provision)
    print(f"outbox listening on {server.url}", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
