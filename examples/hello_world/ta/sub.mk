global-incdirs-y += include
srcs-y += hello_world_ta.c

# To remove a certain compiler flag, add a line like this
#cflags-hello_world_ta.c-y += -Wno-strict-prototypes
