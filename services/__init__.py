"""The only code that opens the register: one use case per module (workspace writes, import and export, the
public release, the cohort instance, the brief's inputs, the demo register, administration, erasure), combining
core, geo and data. Roles are checked here and every write is audited here."""
