/* Placeholder translation unit so the library exists before its modules; replaced by server/. */
const char *emulator_version(void);
const char *emulator_version(void)
{
    return "0.1.0";
}
