"""Network definitions for gen_models.py: each builds layers on a gen_models.Network."""


def lenet5(net):
    x = net.pool(net.relu(net.conv("input", 6, 5, pad=0, bn=False)), "max", 2, 2)
    x = net.pool(net.relu(net.conv(x, 16, 5, pad=0, bn=False)), "max", 2, 2)
    x = net.relu(net.dense(net.flatten(x), 120))
    x = net.relu(net.dense(x, 84))
    net.dense(x, 10)


def mlp(net):
    x = net.relu(net.dense("input", 256))
    x = net.relu(net.dense(x, 128))
    net.dense(x, 10)


def basic_block(net, x, channels, stride):
    y = net.relu(net.conv(x, channels, 3, stride))
    y = net.conv(y, channels, 3)
    if stride != 1 or net.values[x].shape[1] != channels:
        x = net.conv(x, channels, 1, stride, pad=0)
    return net.relu(net.add(y, x))


def bottleneck(net, x, channels, stride):
    y = net.relu(net.conv(x, channels, 1, pad=0))
    y = net.relu(net.conv(y, channels, 3, stride))
    y = net.conv(y, channels * 4, 1, pad=0)
    if stride != 1 or net.values[x].shape[1] != channels * 4:
        x = net.conv(x, channels * 4, 1, stride, pad=0)
    return net.relu(net.add(y, x))


def resnet_cifar8(net):
    x = net.relu(net.conv("input", 16, 3))
    for channels, stride in ((16, 1), (32, 2), (64, 2)):
        x = basic_block(net, x, channels, stride)
    net.dense(net.flatten(net.global_avg(x)), 10)


def resnet_imagenet(blocks, block):
    def build(net):
        x = net.relu(net.conv("input", 64, 7, 2))
        x = net.pool(x, "max", 3, 2, pad=1)
        for stage, count in enumerate(blocks):
            for i in range(count):
                x = block(net, x, 64 << stage, 2 if stage and i == 0 else 1)
        net.dense(net.flatten(net.global_avg(x)), 1000)
    return build


def mobilenetv2(net):
    x = net.relu(net.conv("input", 32, 3, 2), six=True)
    settings = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                (6, 160, 3, 2), (6, 320, 1, 1))
    for expand, channels, repeats, first_stride in settings:
        for i in range(repeats):
            stride = first_stride if i == 0 else 1
            in_ch = net.values[x].shape[1]
            y = x
            if expand != 1:
                y = net.relu(net.conv(y, in_ch * expand, 1, pad=0), six=True)
            y = net.relu(net.conv(y, in_ch * expand, 3, stride, groups=in_ch * expand), six=True)
            y = net.conv(y, channels, 1, pad=0)
            x = net.add(y, x) if stride == 1 and in_ch == channels else y
    x = net.relu(net.conv(x, 1280, 1, pad=0), six=True)
    net.dense(net.flatten(net.global_avg(x)), 1000)


def fire(net, x, squeeze, expand):
    s = net.relu(net.conv(x, squeeze, 1, pad=0, bn=False))
    return net.concat([net.relu(net.conv(s, expand, 1, pad=0, bn=False)),
                       net.relu(net.conv(s, expand, 3, bn=False))])


def squeezenet11(net):
    x = net.relu(net.conv("input", 64, 3, 2, pad=0, bn=False))
    x = net.pool(x, "max", 3, 2, ceil_mode=True)
    x = fire(net, fire(net, x, 16, 64), 16, 64)
    x = net.pool(x, "max", 3, 2, ceil_mode=True)
    x = fire(net, fire(net, x, 32, 128), 32, 128)
    x = net.pool(x, "max", 3, 2, ceil_mode=True)
    for squeeze, expand in ((48, 192), (48, 192), (64, 256), (64, 256)):
        x = fire(net, x, squeeze, expand)
    x = net.relu(net.conv(x, 1000, 1, pad=0, bn=False))
    net.flatten(net.global_avg(x))


IMAGENET = (1, 3, 224, 224)
NETWORKS = {
    "lenet5": ((1, 1, 32, 32), lenet5),
    "resnet8": ((1, 3, 32, 32), resnet_cifar8),
    "mlp": ((1, 784), mlp),
    "resnet18": (IMAGENET, resnet_imagenet((2, 2, 2, 2), basic_block)),
    "resnet34": (IMAGENET, resnet_imagenet((3, 4, 6, 3), basic_block)),
    "resnet50": (IMAGENET, resnet_imagenet((3, 4, 6, 3), bottleneck)),
    "mobilenetv2": (IMAGENET, mobilenetv2),
    "squeezenet11": (IMAGENET, squeezenet11),
}
