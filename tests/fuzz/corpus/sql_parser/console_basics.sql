-- Console commands odpscmd handles itself: SET and USE SCHEMA print OK.
SET odps.namespace.schema=true;
USE SCHEMA default;
/* a SET without '=' is refused */
SET odps.sql.type.system.odps2;
