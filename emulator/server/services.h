/* services: the list of service modules the emulator runs by default. */
#ifndef MC_EMU_SERVICES_H
#define MC_EMU_SERVICES_H

#include "server/service.h"

/* NULL-terminated. One line per service in services.c. */
extern const emu_service_def *const emu_default_services[];

#endif
