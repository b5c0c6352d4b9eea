"""python -m tests.support.fresh_postgres NAME: drop and recreate NAME (and its test_ twin) on the local PostgreSQL."""
import sys

import psycopg


def recreate(name, dsn="host=127.0.0.1 port=5432 user=postgres dbname=postgres"):
    with psycopg.connect(dsn, autocommit=True) as connection:
        for database in (name, f"test_{name}"):
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')


if __name__ == "__main__":
    recreate(sys.argv[1])
    print(f"PostgreSQL database {sys.argv[1]} recreated")
