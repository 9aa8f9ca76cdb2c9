global-incdirs-y += include
srcs-y += counter_ta.c
