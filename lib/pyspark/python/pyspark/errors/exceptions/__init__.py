"""PySpark's exception classes (base: raised by Python; captured: raised
by the engine, in PySpark by the JVM)."""
