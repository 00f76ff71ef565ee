# Lets `pytest` import optim_core, surfaces and the app packages from the checkout.
