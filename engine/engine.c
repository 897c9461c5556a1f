/* engine: see engine.h. */
#include "engine.h"

const char *engine_user_agent(void)
{
    return "mcdlf/0.1.0";
}
