# compat/template.mk
