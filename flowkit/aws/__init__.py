"""Talking to AWS: sessions, the names a deployment left in its stack outputs, Athena, S3 fetch, doctor.

Nothing is imported here, so importing one module (e.g. the output names the stacks share) does not
import boto3.
"""
