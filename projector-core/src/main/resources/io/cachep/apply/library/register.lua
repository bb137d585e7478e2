-- cachep's Redis library: the functions it registers, each named after the library (RedisLibrary substitutes
-- ${library}), so the functions of two releases of cachep can be loaded side by side during a rolling upgrade.
redis.register_function('${library}_apply', apply)
redis.register_function{function_name = '${library}_apply_slots', callback = apply_across_slots,
                        flags = {'allow-cross-slot-keys'}}
redis.register_function('${library}_tag_index', tag_index)
redis.register_function('${library}_promote', promote)
