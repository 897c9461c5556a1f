/*
 * paimon/validate: the checks Java Paimon runs on a table schema before it
 * creates the table (SchemaValidation.validateTableSchema, the TableSchema
 * constructor's key checks, and the client-side
 * CatalogUtils.validateCreateTable), with Java's message texts.
 *
 * The engine runs them at CREATE TABLE, before it asks the catalog; readers
 * and writers keep their own checks for tables created elsewhere. Which
 * Java checks are replicated, and which are not, is listed in
 * docs/paimon-format-notes.md §Schema validation at CREATE TABLE.
 */
#ifndef PAIMON_VALIDATE_H
#define PAIMON_VALIDATE_H

#include "mc_err.h"
#include "paimon/schema.h"

/* 0 when Java Paimon would create the table; else -1 with its message
 * (MC_ERR_INVALID), or MC_ERR_UNSUPPORTED for a merge option mcdlf cannot
 * honour (paimon/merge refuses those by name). */
int paimon_schema_validate(const paimon_schema *s, mc_err *err);

#endif
