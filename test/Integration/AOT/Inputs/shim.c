/* Binds the generic AOT test driver to one function of a mixir-compile
 * header: compile with -include <header> -DMIXIR_ENTRY=<function>. Being C,
 * it also checks that the header is valid C. */
#define MIXIR_CAT2(a, b) a##b
#define MIXIR_CAT(a, b) MIXIR_CAT2(a, b)

int32_t mixir_driver_call(void **buffers) {
  return MIXIR_CAT(MIXIR_ENTRY, _packed)(buffers);
}

const mixir_buffer_info *mixir_driver_buffers(int32_t *count) {
  *count = (int32_t)(sizeof(MIXIR_CAT(MIXIR_ENTRY, _buffers)) /
                     sizeof(mixir_buffer_info));
  return MIXIR_CAT(MIXIR_ENTRY, _buffers);
}
