"""The report on a schedule: the Lambda function that runs the report's saved queries in Athena, writes the
HTML report to the bucket and e-mails a summary with a link through an SNS topic.

Modules: ``config`` (the function's environment, written by the CDK construct and read by the function),
``summary`` (the e-mail text), ``handler`` (the Lambda entry point). Nothing is imported here, so the
stacks can read the environment names without importing boto3.
"""
