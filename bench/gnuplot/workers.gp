# workers.gp - what every "something vs workers" panel adds to common.gp:
# the workers beyond the CPUs shaded grey, because there the workers only
# take turns. Needs cpus and shade (1: some counts exceed the CPUs).
unset object 1
if (shade) {
    set object 1 rect from cpus, graph 0 to graph 1, graph 1 \
        fc rgb "#e6e6e6" fs solid noborder behind
}
