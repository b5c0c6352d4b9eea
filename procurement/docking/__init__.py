"""The docking test tool (seed 000 §1, §5.2; seed 001 §2 note): suppliers run every case of their protocol
against their test environment, get a report, and staff grant the production trust mark on a passing run."""
