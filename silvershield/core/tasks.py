from celery import shared_task

from silvershield.core import audit, keys


@shared_task(name="core.rotate_field_keys")
def rotate_field_keys_task() -> int:
    count = keys.rotate_field_keys()
    audit.audit_record(
        actor=None,
        action="keys.rotated",
        summary=f"密钥轮换：重新加密 {count} 个字段值",
        data={"count": count},
    )
    return count


@shared_task(name="core.audit_verify")
def audit_verify_task() -> bool:
    report = audit.audit_verify()
    audit.audit_record(
        actor=None,
        action="audit.verified",
        outcome="success" if report.ok else "failure",
        summary="定时校验审计链："
        + ("完整" if report.ok else f"第 {report.first_broken_id} 条起断裂"),
        data={
            "ok": report.ok,
            "checked": report.checked,
            "first_broken_id": report.first_broken_id,
        },
    )
    return report.ok
