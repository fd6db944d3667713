terraform {
  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
    }
  }
}

# The ecslocal endpoint (host:port), e.g. -var endpoint=127.0.0.1:8790.
variable "endpoint" {
  type = string
}

provider "alicloud" {
  access_key             = "test"
  secret_key             = "test"
  region                 = "cn-hangzhou"
  protocol               = "HTTP"
  skip_region_validation = true
  # Known up front, so the provider asks BssOpenApi nothing at start.
  account_type = "Domestic"
  endpoints {
    ecs = var.endpoint
    vpc = var.endpoint
    slb = var.endpoint
    ram = var.endpoint
    sts = var.endpoint
  }
}

resource "alicloud_vpc" "main" {
  vpc_name   = "tf-vpc"
  cidr_block = "172.16.0.0/12"
}

# As the official modules start: a zone that takes vSwitches and sells the
# instance type, the type by its size, the newest image of a family.
data "alicloud_zones" "default" {
  available_resource_creation = "VSwitch"
  available_instance_type     = data.alicloud_instance_types.c7.instance_types[0].id
}

data "alicloud_instance_types" "c7" {
  instance_type_family = "ecs.c7"
  cpu_core_count       = 2
  memory_size          = 4
}

data "alicloud_images" "aliyun3" {
  owners      = "system"
  name_regex  = "^aliyun_3_x64_20G"
  most_recent = true
}

resource "alicloud_vswitch" "main" {
  vswitch_name = "tf-vsw"
  vpc_id       = alicloud_vpc.main.id
  cidr_block   = "172.16.1.0/24"
  zone_id      = data.alicloud_zones.default.zones[0].id
}

resource "alicloud_security_group" "main" {
  security_group_name = "tf-sg"
  vpc_id              = alicloud_vpc.main.id
}

resource "alicloud_ecs_key_pair" "main" {
  key_pair_name = "tf-key"
}

resource "alicloud_ram_role" "ecs" {
  role_name   = "tf-ecs-role"
  description = "assumed by the instances"
  assume_role_policy_document = jsonencode({
    Version = "1"
    Statement = [{
      Action    = "sts:AssumeRole"
      Effect    = "Allow"
      Principal = { Service = ["ecs.aliyuncs.com"] }
    }]
  })
}

# Two instances, as the official modules write them: one resource, for_each.
resource "alicloud_instance" "web" {
  for_each             = toset(["a", "b"])
  instance_name        = "tf-web-${each.key}"
  host_name            = "web-${each.key}"
  image_id             = data.alicloud_images.aliyun3.images[0].id
  instance_type        = data.alicloud_instance_types.c7.instance_types[0].id
  vswitch_id           = alicloud_vswitch.main.id
  security_groups      = [alicloud_security_group.main.id]
  instance_charge_type = "PostPaid"
  system_disk_category = "cloud_essd"
  system_disk_size     = 40
  key_name             = alicloud_ecs_key_pair.main.key_pair_name
  role_name            = alicloud_ram_role.ecs.role_name
  user_data            = base64encode("#!/bin/sh\necho web-${each.key}\n")
  tags = {
    env  = "tf"
    role = "web"
  }

  data_disks {
    name     = "tf-data-${each.key}"
    category = "cloud_essd"
    size     = 40
  }
}
