global-incdirs-y += include gp13
srcs-y += storage_ta.c
