"""The investigation's Athena workgroup: engine v3, per-query scan cutoff, encrypted results."""

from __future__ import annotations

from aws_cdk import aws_athena as athena
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from flowkit.aws.stack_outputs import ENGINE_VERSION, RESULTS_PREFIX

MIN_CUTOFF_BYTES = 10 * 1024**2  # Athena's minimum BytesScannedCutoffPerQuery


def cutoff_bytes(query_limit_gb: float) -> int:
    """BytesScannedCutoffPerQuery for a limit in GB (GiB), never below Athena's 10 MB minimum."""
    return max(int(query_limit_gb * 1024**3), MIN_CUTOFF_BYTES)


class QueryWorkGroup(Construct):
    """The L1 workgroup is the child ``Default``; results go to ``athena-results/`` in ``bucket``.

    Results are SSE-KMS with ``encryption_key``, else SSE-S3. Deleting it deletes its query history.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        investigation: str,
        query_limit_gb: float,
        bucket: s3.IBucket,
        encryption_key: kms.IKey | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.name = name
        self.results_location = f"s3://{bucket.bucket_name}/{RESULTS_PREFIX}"
        encryption = athena.CfnWorkGroup.EncryptionConfigurationProperty(
            encryption_option="SSE_KMS" if encryption_key else "SSE_S3",
            kms_key=encryption_key.key_arn if encryption_key else None,
        )
        self.resource = athena.CfnWorkGroup(
            self,
            "Default",
            name=name,
            description=f"Flow log queries of investigation {investigation}",
            state="ENABLED",
            recursive_delete_option=True,
            work_group_configuration=athena.CfnWorkGroup.WorkGroupConfigurationProperty(
                enforce_work_group_configuration=True,
                publish_cloud_watch_metrics_enabled=True,
                bytes_scanned_cutoff_per_query=cutoff_bytes(query_limit_gb),
                engine_version=athena.CfnWorkGroup.EngineVersionProperty(
                    selected_engine_version=ENGINE_VERSION
                ),
                result_configuration=athena.CfnWorkGroup.ResultConfigurationProperty(
                    output_location=self.results_location, encryption_configuration=encryption
                ),
            ),
        )
