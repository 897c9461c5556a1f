/* engine: the user side of mcdlf (DESIGN.md). Umbrella facts about the library. */
#ifndef MC_ENGINE_H
#define MC_ENGINE_H

/* The User-Agent product token the engine's HTTP clients send. */
const char *engine_user_agent(void);

#endif
