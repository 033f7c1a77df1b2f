"""Reference implementation of the serverless messaging patterns eventproof covers.

Written the way a good team writes Lambda code: plain ``(event, context)``
handlers with injected boto3 clients. It imports neither ``eventproof`` nor
``fakes``, so it runs unchanged on the fakes, on moto or on AWS.
"""
