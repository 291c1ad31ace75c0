-- Purpose: the secrecy threshold the marts were built with.
SELECT secrecy_threshold FROM mart_build_parameters;
