"""The security audit trail is append-only in the database itself.

On PostgreSQL a row trigger refuses every UPDATE of ``audit_securityevent`` and every
DELETE, except the retention purge's: it declares itself in its own transaction
(``set_config('portal.audit_purge', 'on', true)``) and even then may delete only rows older
than 180 days (网络安全法 第二十一条). TRUNCATE is a statement, not a row change, and stays
possible: test databases are flushed with it. SQLite, the embedded default, is left alone
(the model still refuses changes, and the hash chain shows any made behind its back).
"""

from django.db import migrations

from core.pg_operations import RunPostgreSQL

FORWARD = """
CREATE FUNCTION audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('portal.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_securityevent is append-only: % of security audit row % refused',
        TG_OP, OLD.seq
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'Security audit rows are only ever inserted.';
END;
$$;

CREATE TRIGGER audit_append_only
    BEFORE UPDATE OR DELETE ON audit_securityevent
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_append_only ON audit_securityevent;
DROP FUNCTION IF EXISTS audit_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [RunPostgreSQL(FORWARD, BACKWARD)]
