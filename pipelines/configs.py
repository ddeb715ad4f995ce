"""Lists the packaged experiment configs, or shows one with every field and objective parameter.

  tfencgan-configs list
  tfencgan-configs show bigan_mnist
  tfencgan-configs show study_cifar10:bigan_x_ae
"""

import importlib.util
import inspect

USAGE = "usage: tfencgan-configs list | show NAME[:ARGUMENT]"


def list_configs():
    """One line per packaged config: name, objective, the first line of its docstring."""
    from tfencgan import configs
    lines = []
    for name in configs.available():
        path = configs.resolve(name)
        spec = importlib.util.spec_from_file_location("tfencgan_config", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        summary = (module.__doc__ or "").strip().splitlines()[0]
        objective = configs.load(name).objective.name
        takes = ("[:objective]" if "objective" in inspect.signature(module.get_config).parameters
                 else "")
        lines.append(f"{name + takes:40s} {objective:24s} {summary}")
    return "\n".join(lines)


def show_config(name):
    from tfencgan import configs, objectives
    config = configs.load(name)
    defaults = objectives.default_parameters(config.objective.name)
    params = ", ".join(f"{k}={v!r}" for k, v in defaults.items()) or "none"
    return (f"# {configs.resolve(name)}\n{configs.describe(config, name)}\n"
            f"# objective {config.objective.name!r} parameters and their defaults: {params}")


def main(argv):
    import pipelines
    args = argv[1:]
    if args == ["list"]:
        print(list_configs())
    elif len(args) == 2 and args[0] == "show":
        try:
            print(show_config(args[1]))
        except FileNotFoundError as error:
            pipelines.fail(pipelines.one_line(error))
    else:
        pipelines.fail(USAGE)


def console_main():
    import pipelines
    pipelines.run(main)


if __name__ == "__main__":
    console_main()
