/* services: the default service set, in endpoint order (endpoints.json lists them so). */
#include "server/services.h"

#include "dlf/service.h"
#include "oss/service.h"
#include "ram/service.h"
#include "server/control_api.h"

const emu_service_def *const emu_default_services[] = {
    &emu_oss_service,
    &emu_dlf_service,
    &emu_ram_service,
    &emu_mc_service,
    NULL,
};
