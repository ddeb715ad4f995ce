from setuptools import find_packages, setup

setup(
    name="tfencgan",
    version="0.1.0",
    description="Generative models with encoders (BiGAN, ALI, AGE, ...) in TensorFlow 2 / Keras 3",
    long_description=open("README.md").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=find_packages(include=["tfencgan", "tfencgan.*", "pipelines", "tuning"]),
    package_data={"tfencgan": ["data/*.npz", "metrics/*.weights.h5"]},
    install_requires=[
        "tensorflow>=2.16",
        "keras>=3.0",
        "tensorflow-datasets",
        "importlib_resources",       # needed by tensorflow-datasets, undeclared on Python >= 3.9
        "tensorflow-gan",
        "tensorflow-probability",    # imported by tensorflow-gan's eval code
        "tf-keras",                  # needed by tensorflow-probability with Keras 3
        "keras-tuner",
        "tensorboard",
        "absl-py",
        "ml-collections",
        "numpy",
        "scipy",
        "pillow",
    ],
    extras_require={"test": ["pytest"]},
    entry_points={"console_scripts": [
        "tfencgan-train=pipelines.train:console_main",
        "tfencgan-evaluate=pipelines.evaluate:console_main",
        "tfencgan-train-classifier=pipelines.train_classifier:console_main",
        "tfencgan-export=pipelines.export:console_main",
        "tfencgan-search=tuning.search:console_main",
    ]},
)
